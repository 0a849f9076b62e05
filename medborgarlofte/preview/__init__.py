"""`serve`: the live preview. `live` rebuilds what a saved file touches, `serve` answers the browser."""
