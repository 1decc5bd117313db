"""Insights: what the stored tickets say — recurring issues, spikes, knowledge gaps."""
