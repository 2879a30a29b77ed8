"""Personalized copy: money and locale formatting, the merchant copy format, view models."""
