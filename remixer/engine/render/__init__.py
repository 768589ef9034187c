"""Making videos: a remix streamed through a recipe's filter graph with its sound, a still
preview, create's painter, and an extension's two parts joined."""
