"""Exploration: experimental designs, sweeps and their store, execution, sensitivity, discovery and comparison.

The analysts' public names are gathered in `simulator.analysis`.
"""
