"""Water quality: species, transport, kinetics and their solver."""
