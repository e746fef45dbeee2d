"""The Streamlit app (only part of the package that imports Streamlit): `simulator app` or `streamlit run app.py`."""
