"""The app's pages; each is a Streamlit script routed by `simulator.app.main`."""
