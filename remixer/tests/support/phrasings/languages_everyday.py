"""How creators write in other languages from day to day: colours more vivid or duller,
complaints that something is too much, a higher or deeper voice, short forms, and the
platforms' English names. Each is (prompt, language, steps); a step is a name, or (name,
{parameter: value})."""

VIVID = ("saturation", {"amount": 0.5})
DULL = ("saturation", {"amount": -0.5})
BRIGHTER = ("brightness", {"amount": 0.25})
DARKER = ("brightness", {"amount": -0.25})
QUIETER = ("volume", {"db": -6.0})
HIGHER = ("pitch", {"semitones": 4.0})
LOWER = ("pitch", {"semitones": -4.0})
A_BIT_HIGHER = ("pitch", {"semitones": 2.0})
A_BIT_LOWER = ("pitch", {"semitones": -2.0})
A_BIT_WARMER = ("warmer", {"strength": 0.25})
SQUARE = ("crop", {"aspect": "square"})
PORTRAIT = ("crop", {"aspect": "portrait"})

# Colours more vivid and duller, in every language; French "fade" is dull, not a fade.
VIVID_AND_DULL = [
    ("colores más vivos", "Spanish", [VIVID]),
    ("colores intensos", "Spanish", [VIVID]),
    ("más color", "Spanish", [VIVID]),
    ("colores apagados", "Spanish", [DULL]),
    ("cores mais vivas", "Portuguese", [VIVID]),
    ("mais cor", "Portuguese", [VIVID]),
    ("cores sem vida", "Portuguese", [DULL]),
    ("apagadas", "Portuguese", [DULL]),
    ("couleurs plus vives", "French", [VIVID]),
    ("couleurs éclatantes", "French", [VIVID]),
    ("plus de couleurs", "French", [VIVID]),
    ("c'est trop fade", "French", [VIVID]),  # too dull: more colour, not a fade
    ("la vidéo est fade", "French", [DULL]),
    ("fondu au noir", "French", ["fade_out"]),  # the French for a fade
    ("Farben kräftiger", "German", [VIVID]),
    ("leuchtende Farben", "German", [VIVID]),
    ("mehr Farbe", "German", [VIVID]),
    ("das Bild ist zu flau", "German", [VIVID]),
    ("blass", "German", [DULL]),
    ("colori più accesi", "Italian", [VIVID]),
    ("colori vivaci", "Italian", [VIVID]),
    ("più colore", "Italian", [VIVID]),
    ("colori spenti", "Italian", [DULL]),
    ("鮮やかに", "Japanese", [VIVID]),
    ("もっと鮮やかに", "Japanese", [("saturation", {"amount": 0.7})]),
    ("くすんだ色", "Japanese", [DULL]),
    ("地味すぎる", "Japanese", [VIVID]),
]

# "Too" something asks for the opposite: "trop sombre" is brighter.
COMPLAINTS = [
    ("muy apagado", "Spanish", [VIVID]),
    ("demasiado oscuro", "Spanish", [BRIGHTER]),
    ("está muy oscuro", "Spanish", [BRIGHTER]),
    ("hazlo muy oscuro", "Spanish", [("brightness", {"amount": -0.425})]),  # asked, not a complaint
    ("el sonido está muy alto", "Spanish", [QUIETER]),
    ("demasiado claro", "Spanish", [DARKER]),
    ("está muito escuro", "Portuguese", [BRIGHTER]),
    ("escuro demais", "Portuguese", [BRIGHTER]),
    ("o som tá alto demais", "Portuguese", [QUIETER]),
    ("c'est trop sombre", "French", [BRIGHTER]),
    ("un peu trop clair", "French", [("brightness", {"amount": -0.125})]),
    ("le son est trop fort", "French", [QUIETER]),
    ("trop de contraste", "French", [("contrast", {"amount": -0.3})]),
    ("zu dunkel", "German", [BRIGHTER]),
    ("viel zu hell", "German", [DARKER]),
    ("der Ton ist zu laut", "German", [QUIETER]),
    ("troppo scuro", "Italian", [BRIGHTER]),
    ("troppo chiaro", "Italian", [DARKER]),
    ("l'audio è troppo alto", "Italian", [QUIETER]),
    ("troppo spento", "Italian", [VIVID]),
    ("暗すぎる", "Japanese", [BRIGHTER]),
    ("明るすぎる", "Japanese", [DARKER]),
    ("音がうるさすぎる", "Japanese", [QUIETER]),
]

# A higher or deeper voice, with words of degree inside the phrase.
VOICES = [
    ("voz mais grossa", "Portuguese", [LOWER]),
    ("deixa a voz mais fina", "Portuguese", [HIGHER]),
    ("a voz um pouco mais aguda", "Portuguese", [A_BIT_HIGHER]),
    ("voz más gruesa", "Spanish", [LOWER]),
    ("pon la voz un poco más grave", "Spanish", [A_BIT_LOWER]),
    ("la voz más aguda", "Spanish", [HIGHER]),
    ("voix plus grave", "French", [LOWER]),
    ("une voix plus aiguë", "French", [HIGHER]),
    ("rends la voix un peu plus grave", "French", [A_BIT_LOWER]),
    ("Stimme tiefer", "German", [LOWER]),
    ("höhere Stimme", "German", [HIGHER]),
    ("mach die Stimme etwas höher", "German", [A_BIT_HIGHER]),
    ("voce più grave", "Italian", [LOWER]),
    ("la voce più acuta", "Italian", [HIGHER]),
    ("rendi la voce un po' più grave", "Italian", [A_BIT_LOWER]),
    ("声ちょっと高くして", "Japanese", [A_BIT_HIGHER]),
    ("声低め", "Japanese", [LOWER]),
    ("声を少し低くして", "Japanese", [A_BIT_LOWER]),
]

# Short forms and fillers of everyday writing.
SHORT_FORMS = [
    ("mach's n bisschen wärmer", "German", [A_BIT_WARMER]),
    ("'n bisschen heller bitte", "German", [("brightness", {"amount": 0.125})]),
    ("bissl wärmer", "German", [A_BIT_WARMER]),
    ("a bisserl kühler", "German", [("cooler", {"strength": 0.25})]),
    ("vertical pa tiktok", "Spanish", [PORTRAIT]),
    ("q sea más cálido", "Spanish", ["warmer"]),
    ("más cálido porfa", "Spanish", ["warmer"]),
    ("vertical pro tiktok", "Portuguese", [PORTRAIT]),
    ("deixa pra tiktok", "Portuguese", [PORTRAIT]),
    ("mais quente pra mim", "Portuguese", ["warmer"]),
    ("plus chaud stp", "French", ["warmer"]),
    ("noir et blanc svp", "French", ["grayscale"]),
    ("format carré pr instagram", "French", [SQUARE]),
    ("un po' più caldo", "Italian", [A_BIT_WARMER]),
    ("po più caldo", "Italian", [A_BIT_WARMER]),
    ("un pò più freddo", "Italian", [("cooler", {"strength": 0.25})]),
    ("もうちょっと暖かく", "Japanese", [A_BIT_WARMER]),
    ("コントラストをもう少し上げて", "Japanese", [("contrast", {"amount": 0.15})]),
    ("音量をもうちょっと下げて", "Japanese", [("volume", {"db": -3.0})]),
]

# The platforms' English names inside other languages.
PLATFORMS = [
    ("cuadrado para el feed", "Spanish", [SQUARE]),
    ("vertical para los reels de insta", "Spanish", [PORTRAIT]),
    ("formato vertical para yt shorts", "Spanish", [PORTRAIT]),
    ("deixa quadrado pro feed", "Portuguese", [SQUARE]),
    ("vertical pros stories do insta", "Portuguese", [PORTRAIT]),
    ("pour le feed instagram", "French", [SQUARE]),
    ("format vertical pour les reels d'insta", "French", [PORTRAIT]),
    ("quadratisch für den Feed", "German", [SQUARE]),
    ("Hochformat für YouTube Shorts", "German", [PORTRAIT]),
    ("per il feed di instagram", "Italian", [SQUARE]),
    ("verticale per le storie di insta", "Italian", [PORTRAIT]),
    ("インスタ用に正方形", "Japanese", [SQUARE]),
    ("インスタのリール用", "Japanese", [PORTRAIT]),
    ("ストーリー用に縦長", "Japanese", [PORTRAIT]),
]
