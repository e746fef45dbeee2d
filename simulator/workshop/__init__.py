"""The workshop: game rules (a room decides the EU's move month by month), its SQLite store, and the debrief."""
