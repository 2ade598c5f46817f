"""tui-nn: build, train and watch fully connected neural networks in the terminal."""

__version__ = "0.1.0"
