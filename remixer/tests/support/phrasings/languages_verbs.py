"""Other languages' verbs that raise or lower what they name, Japanese written in kana, speeds
with a factor, and the nouns that only say what a step changes ("la voz", "la parte"). Each
is (prompt, language, steps); a step is a name, or (name, {parameter: value})."""

BRIGHTER = ("brightness", {"amount": 0.25})
DARKER = ("brightness", {"amount": -0.25})
MORE_CONTRAST = ("contrast", {"amount": 0.3})
LESS_CONTRAST = ("contrast", {"amount": -0.3})
VIVID = ("saturation", {"amount": 0.5})
DULL = ("saturation", {"amount": -0.5})
HIGHER = ("pitch", {"semitones": 4.0})
LOWER = ("pitch", {"semitones": -4.0})
A_BIT_HIGHER = ("pitch", {"semitones": 2.0})
A_BIT_LOWER = ("pitch", {"semitones": -2.0})
LOUDER = ("volume", {"db": 6.0})
QUIETER = ("volume", {"db": -6.0})
FASTER = ("speed", {"factor": 2.0})
SLOWER = ("speed", {"factor": 0.5})
TRIPLE = ("speed", {"factor": 3.0})
ECHO = "echo"
PORTRAIT_BLURRED = {"aspect": "portrait", "fill": "blurred sides"}

# Up and down verbs with the thing they change: the pitch, the light, the colour, the speed.
UP_AND_DOWN = [
    # Spanish
    ("sube la saturación", "Spanish", [VIVID]),
    ("baja el brillo", "Spanish", [DARKER]),
    ("aumenta la luminosidad", "Spanish", [BRIGHTER]),
    ("reduce el contraste", "Spanish", [LESS_CONTRAST]),
    ("baja el tono de voz", "Spanish", [LOWER]),
    ("sube un poco el tono de la voz", "Spanish", [A_BIT_HIGHER]),
    ("aumenta la velocidad", "Spanish", [FASTER]),
    ("baja la velocidad", "Spanish", [SLOWER]),
    ("sube la música", "Spanish", [LOUDER]),
    ("baja el tono 3 semitonos", "Spanish", [("pitch", {"semitones": -3.0})]),
    # Portuguese
    ("aumenta a velocidade", "Portuguese", [FASTER]),
    ("diminui a velocidade", "Portuguese", [SLOWER]),
    ("aumenta o brilho", "Portuguese", [BRIGHTER]),
    ("abaixa o brilho", "Portuguese", [DARKER]),
    ("aumenta a saturação", "Portuguese", [VIVID]),
    ("diminui o contraste", "Portuguese", [LESS_CONTRAST]),
    ("abaixa o tom da voz", "Portuguese", [LOWER]),
    ("sobe um pouco o tom", "Portuguese", [A_BIT_HIGHER]),
    ("sobe a música", "Portuguese", [LOUDER]),
    # French
    ("baisse un peu la tonalité de la voix", "French", [A_BIT_LOWER]),
    (
        "Monte le son de 5 dB et baisse un peu la tonalité de la voix",
        "French",
        [("volume", {"db": 5.0}), A_BIT_LOWER],
    ),
    ("monte la hauteur de la voix", "French", [HIGHER]),
    ("baisse le ton de la voix", "French", [LOWER]),
    ("monte la luminosité", "French", [BRIGHTER]),
    ("baisse la luminosité", "French", [DARKER]),
    ("augmente la saturation", "French", [VIVID]),
    ("diminue le contraste", "French", [LESS_CONTRAST]),
    ("augmente la vitesse", "French", [FASTER]),
    ("réduis la vitesse", "French", [SLOWER]),
    ("baisse la tonalité de 2 demi-tons", "French", [("pitch", {"semitones": -2.0})]),
    # German
    ("senk die Helligkeit", "German", [DARKER]),
    ("erhöhe die Helligkeit", "German", [BRIGHTER]),
    ("Helligkeit runter", "German", [DARKER]),
    ("erhöhe die Sättigung", "German", [VIVID]),
    ("reduziere die Sättigung", "German", [DULL]),
    ("erhöhe den Kontrast", "German", [MORE_CONTRAST]),
    ("senke die Tonhöhe", "German", [LOWER]),
    ("Stimmlage etwas höher", "German", [A_BIT_HIGHER]),
    ("erhöhe das Tempo", "German", [FASTER]),
    ("Geschwindigkeit reduzieren", "German", [SLOWER]),
    ("senke die Tonhöhe um 3 Halbtöne", "German", [("pitch", {"semitones": -3.0})]),
    # Italian
    ("alza il contrasto", "Italian", [MORE_CONTRAST]),
    ("abbassa la luminosità", "Italian", [DARKER]),
    ("aumenta la saturazione", "Italian", [VIVID]),
    ("riduci la saturazione", "Italian", [DULL]),
    ("abbassa la tonalità della voce", "Italian", [LOWER]),
    ("alza un po' il tono", "Italian", [A_BIT_HIGHER]),
    ("aumenta la velocità", "Italian", [FASTER]),
    ("riduci la velocità", "Italian", [SLOWER]),
    ("alza la musica", "Italian", [LOUDER]),
    # Japanese
    ("音程を下げて", "Japanese", [LOWER]),
    ("音程を少し上げて", "Japanese", [A_BIT_HIGHER]),
    ("キーを上げて", "Japanese", [HIGHER]),
    ("ピッチを下げて", "Japanese", [LOWER]),
    ("スピードを上げて", "Japanese", [FASTER]),
    ("速度を落として", "Japanese", [SLOWER]),
    ("明るさを下げて", "Japanese", [DARKER]),
    ("彩度を上げて", "Japanese", [VIVID]),
    ("コントラストを下げて", "Japanese", [LESS_CONTRAST]),
    ("音楽を小さくして", "Japanese", [QUIETER]),
    ("音程を3半音下げて", "Japanese", [("pitch", {"semitones": -3.0})]),
]

# Japanese written in kana as well as in kanji.
KANA = [
    ("あざやかにして", "Japanese", [VIVID]),
    ("あかるくして", "Japanese", [BRIGHTER]),
    ("くらくして", "Japanese", [DARKER]),
    ("はやくして", "Japanese", [FASTER]),
    ("おそくして", "Japanese", [SLOWER]),
    ("しろくろにして", "Japanese", ["grayscale"]),
    ("すこしあたたかく", "Japanese", [("warmer", {"strength": 0.25})]),
    ("つめたくして", "Japanese", ["cooler"]),
    ("こえをひくく", "Japanese", [LOWER]),
    ("おとをおおきく", "Japanese", [LOUDER]),
    ("ぎゃくさいせい", "Japanese", ["reverse"]),
    ("ばいそくで", "Japanese", [FASTER]),
    ("おんりょうをあげて", "Japanese", [LOUDER]),
    ("あかっぽくして", "Japanese", [("tint", {"colour": "red"})]),
    ("せいほうけいにして", "Japanese", [("crop", {"aspect": "square"})]),
    ("たてながにして、はいけいをぼかして", "Japanese", [("crop", PORTRAIT_BLURRED)]),
    ("くらすぎる", "Japanese", [BRIGHTER]),  # too dark: brighter
]

# Speeds with a factor: twice as fast, at half the speed.
SPEED_FACTORS = [
    # Spanish
    ("al doble de velocidad", "Spanish", [FASTER]),
    ("a la mitad de velocidad", "Spanish", [SLOWER]),
    ("el doble de rápido", "Spanish", [FASTER]),
    ("dos veces más lento", "Spanish", [SLOWER]),
    ("a velocidad x2", "Spanish", [FASTER]),
    # Portuguese
    ("a velocidade dobrada", "Portuguese", [FASTER]),
    ("metade da velocidade", "Portuguese", [SLOWER]),
    ("na metade da velocidade", "Portuguese", [SLOWER]),
    ("duas vezes mais devagar", "Portuguese", [SLOWER]),
    ("com o dobro da velocidade", "Portuguese", [FASTER]),
    # French
    ("en accéléré x2", "French", [FASTER]),
    ("deux fois plus lent", "French", [SLOWER]),
    ("à vitesse double", "French", [FASTER]),
    ("à la moitié de la vitesse", "French", [SLOWER]),
    ("deux fois moins vite", "French", [SLOWER]),
    # German
    ("doppelt so schnell", "German", [FASTER]),
    ("halb so schnell", "German", [SLOWER]),
    ("mit doppelter Geschwindigkeit", "German", [FASTER]),
    ("mit halber Geschwindigkeit", "German", [SLOWER]),
    ("doppelt so langsam", "German", [SLOWER]),
    # Italian
    ("al doppio della velocità", "Italian", [FASTER]),
    ("a metà velocità", "Italian", [SLOWER]),
    ("due volte più lento", "Italian", [SLOWER]),
    ("a velocità dimezzata", "Italian", [SLOWER]),
    ("raddoppia la velocità", "Italian", [FASTER]),
    # Japanese
    ("倍速", "Japanese", [FASTER]),
    ("倍速にして", "Japanese", [FASTER]),
    ("0.5倍速", "Japanese", [SLOWER]),
    ("半分の速さ", "Japanese", [SLOWER]),
    ("3倍速", "Japanese", [TRIPLE]),
    ("2倍の速さで", "Japanese", [FASTER]),
    ("スピードを2倍に", "Japanese", [FASTER]),
    ("2倍遅く", "Japanese", [SLOWER]),
]

# Nouns that only say what a step changes, beside the step: every word is used.
OBJECTS = [
    ("eco en la voz", "Spanish", [ECHO]),
    ("ponle eco a la voz", "Spanish", [ECHO]),
    ("eco na voz", "Portuguese", [ECHO]),
    ("écho sur la voix", "French", [ECHO]),
    ("Echo auf der Stimme", "German", [ECHO]),
    ("eco sulla voce", "Italian", [ECHO]),
    ("声にエコー", "Japanese", [ECHO]),
    ("エコーを声にかけて", "Japanese", [ECHO]),
]

# (prompt, language, the step, its moment as (start, end) in seconds or shares of the clip;
# None is the end): a part of the clip, and "only".
PARTS = [
    ("la primera parte en sepia", "Spanish", "sepia", (0.0, 1 / 3)),
    ("a primeira parte em sépia", "Portuguese", "sepia", (0.0, 1 / 3)),
    ("la première partie en sépia", "French", "sepia", (0.0, 1 / 3)),
    ("der erste Teil in Sepia", "German", "sepia", (0.0, 1 / 3)),
    ("la prima parte in seppia", "Italian", "sepia", (0.0, 1 / 3)),
    ("最初の部分をセピアに", "Japanese", "sepia", (0.0, 1 / 3)),
    ("最初の4秒だけ2倍速にして", "Japanese", "speed", (0.0, 4.0)),
    ("最後の2秒だけ白黒", "Japanese", "grayscale", (-2.0, None)),
    ("さいごの1びょうだけしろくろに", "Japanese", "grayscale", (-1.0, None)),
    ("solo los primeros 4 segundos al doble de velocidad", "Spanish", "speed", (0.0, 4.0)),
    ("seulement les 4 premières secondes en accéléré x2", "French", "speed", (0.0, 4.0)),
]
