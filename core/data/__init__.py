"""Data: the 2D and 1D data sets, MNIST and Fashion-MNIST, label noise, and the one CSV reader of uploads."""
