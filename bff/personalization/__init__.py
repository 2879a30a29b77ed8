"""Personalized copy: money and locale formatting, sandboxed templates, view models."""
