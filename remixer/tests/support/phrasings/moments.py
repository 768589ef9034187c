"""Moments as creators write them: prompt -> the steps applied, each with the moment it
holds for as (start, end, share) — None for the whole clip."""

FIRST_2 = (0.0, 2.0, False)
MIDDLE = (1 / 3, 2 / 3, True)

MOMENTS_READ = [
    ("only the first 2 seconds in slow motion", [("speed", FIRST_2)]),
    ("slow motion for the first 2 seconds", [("speed", FIRST_2)]),
    ("slow-mo the first two seconds", [("speed", FIRST_2)]),
    ("speed up the middle part", [("speed", MIDDLE)]),
    ("speed up the middle", [("speed", MIDDLE)]),
    ("black and white until the drop at 2 s", [("grayscale", (0.0, 2.0, False))]),
    ("black and white until 2s", [("grayscale", (0.0, 2.0, False))]),
    ("make the last second black and white", [("grayscale", (-1.0, None, False))]),
    ("sepia for the last 3 seconds", [("sepia", (-3.0, None, False))]),
    ("from 1 s to 3 s in sepia", [("sepia", (1.0, 3.0, False))]),
    ("warmer between 1 and 3 seconds", [("warmer", (1.0, 3.0, False))]),
    ("from second 1 to 3 make it darker", [("brightness", (1.0, 3.0, False))]),
    ("after 3 seconds go black and white", [("grayscale", (3.0, None, False))]),
    ("reverse after the first 2 seconds", [("reverse", (2.0, None, False))]),
    ("blur from 2 seconds on", [("blur", (2.0, None, False))]),
    ("grainy in the middle", [("grain", MIDDLE)]),
    ("warmer, only the first half", [("warmer", (0.0, 0.5, True))]),
    ("mirror the second half", [("mirror", (0.5, None, True))]),
    ("slow motion at the end", [("speed", (2 / 3, None, True))]),
    ("old film for the first 2 seconds", [(s, FIRST_2) for s in ("saturation", "warmer")]),
    (
        "slow motion for the first 2 seconds and fast after 2 seconds",
        [("speed", FIRST_2), ("speed", (2.0, None, False))],
    ),
    ("black and white for the first 2 seconds, then sepia", [("grayscale", FIRST_2), "sepia"]),
    ("loop the first second 3 times", [("loop", (0.0, 1.0, False))]),
    ("freeze the last second", [("freeze", (-1.0, None, False))]),
    # "with" goes on with its clause's moment; a restated step is the same step.
    (
        "after 3s go black and white with more contrast",
        [("grayscale", (3.0, None, False)), ("contrast", (3.0, None, False))],
    ),
    ("just the first 3 secs in slow mo, half speed", [("speed", (0.0, 3.0, False))]),
    ("between second 2 and the 5 slow motion", [("speed", (2.0, 5.0, False))]),
    ("after the 2 second mark sepia", [("sepia", (2.0, None, False))]),
    # A player's clock; a shape like 9:16 is never a time.
    ("half speed just from 0:04 to 0:07", [("speed", (4.0, 7.0, False))]),
    ("sepia 0:02-0:03", [("sepia", (2.0, 3.0, False))]),
    ("black and white until 0:03", [("grayscale", (0.0, 3.0, False))]),
    ("mirror it after 1:30", [("mirror", (90.0, None, False))]),
    ("sepia 5 to 10 seconds", [("sepia", (5.0, 10.0, False))]),
    ("faster from second 4 to the end", [("speed", (4.0, None, False))]),
    ("faster from 3 seconds 6 seconds", [("speed", (3.0, 6.0, False))]),
    ("speed up the middle part, like from 5 sec to 10 sec", [("speed", (5.0, 10.0, False))]),
    (
        "between 0:04 and 0:09 muffled, like underwater",
        [("muffled", (4.0, 9.0, False)), ("underwater", (4.0, 9.0, False))],
    ),
]
