"""Helpers shared by the robustness tests: real server processes, listeners, socket guards."""
