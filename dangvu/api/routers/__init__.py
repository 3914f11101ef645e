"""One router per domain, mounted on dangvu.api.api.api."""
