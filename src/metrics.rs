//! Measures a county is judged on (filled in by the moves work).
