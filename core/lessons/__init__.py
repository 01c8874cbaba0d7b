"""What the lessons show: inside the model, the Loss lab, Fisher consistency, worked examples, a step explained, and the lessons (presets) themselves."""
