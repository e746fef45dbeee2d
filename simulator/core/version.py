"""The release's version and the model's own version, readable by the core without importing the package."""

# The one place the release version is written (semantic versioning): pyproject.toml and simulator/__init__.py
# read it from here, and every output carries it.
__version__ = "0.2.0.dev0"

# The model's own version: raised whenever a change can change the numbers a scenario and seed produce (a new
# mechanism, a recalibrated default), so outputs of two models are told apart even within one release.
MODEL_VERSION = 3

# The random streams' version: raised when the numbers a seed draws change while their distributions stay the
# same. Version 2 (0.2.0): counter-based SplitMix64 draws instead of one numpy generator per replication.
RANDOM_STREAMS = 2

# What a sweep folder's results were made by: two folders agree only if release, model and streams all agree, so
# a sweep resumed after any of them changed starts a new folder instead of mixing numbers.
RESULTS_VERSION = f"{__version__}+model{MODEL_VERSION}.streams{RANDOM_STREAMS}"
