from django.dispatch import Signal

# Sent after reference_data_load() so that other apps can derive data (travel times).
reference_data_loaded = Signal()
