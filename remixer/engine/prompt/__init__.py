"""Reading a remix prompt into a recipe: the words, the vocabulary of everyday phrasings,
how strength words tune a step, and what to suggest when nothing could be followed."""
