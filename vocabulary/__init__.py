"""A small library without Django: the portal's normalised search form and the text → ESCO
matcher. Plain data in, plain data out; `taxonomy.suggest` is its Django adapter."""
