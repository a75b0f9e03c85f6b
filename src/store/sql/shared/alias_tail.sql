) whole
