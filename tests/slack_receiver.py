"""The local Slack webhook receiver of the tests and benchmarks: ``bff.slack_receiver`` (the
demo's ``flask --app bff demo slack-receiver`` uses it too)."""

from bff.slack_receiver import SlackReceiver

__all__ = ["SlackReceiver"]
