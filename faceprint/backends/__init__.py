"""Backends draw a resolved ``scene.Scene``; they never measure, wrap or choose anything."""
