"""What a remix can do: the steps (colour, geometry, texture, time) and captions, each
adding itself to a filter graph, and the recipe that lists them in order."""
