"""What every part of the engine shares: writing H.264 MP4s, building libavfilter graphs,
and NumPy and Pillow imported on first use."""
