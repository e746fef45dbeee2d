"""The model core: parameters and scenarios, the mechanisms, the monthly step, and the result tables."""
