"""Pictures: the model on a grid, the live canvas data of every view, and the PIL drawings of exports."""
