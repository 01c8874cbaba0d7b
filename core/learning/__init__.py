"""The learning core: each loss and activation with its gradient, models, optimizers, the trainer and its engines and fast paths (core/reference_loop.py is the door: the loop in ten lines)."""
