"""dangvu: digital Party-affairs platform."""
