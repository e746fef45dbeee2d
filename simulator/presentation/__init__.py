"""Presentation: charts, plain-language explanations of the regime's decisions, and the generated model docs."""
