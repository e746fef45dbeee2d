"""The app's entry point for `streamlit run app.py`; the app itself ships inside the package (simulator/app).

main.py runs as a script, as `simulator app` runs it: importing `simulator.app.main` would first import the
whole `simulator` package (the model, pandas, scipy, numba: about a second), before the page can say anything.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent / "simulator" / "app" / "main.py"), run_name="__main__")
