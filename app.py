"""The app's entry point for `streamlit run app.py`; the app itself ships inside the package (simulator/app)."""

from simulator.app.main import run

run()
