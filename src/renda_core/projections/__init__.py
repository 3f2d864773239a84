"""Projections: the runner, views with tracking, and report contexts."""
