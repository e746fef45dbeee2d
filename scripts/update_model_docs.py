"""Regenerate the parameter tables in docs/model.md from the schema (run after changing a parameter)."""

from simulator.presentation.model_docs import MODEL_DOC, with_parameter_tables

if __name__ == "__main__":
    MODEL_DOC.write_text(with_parameter_tables(MODEL_DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {MODEL_DOC}")
