"""What creators write in other languages and with typos, and what the reader makes of it."""

OLD_FILM = ["saturation", "warmer", "grain", "vignette", "flicker"]
VINTAGE = ["sepia", "grain", "vignette"]
PORTRAIT_BLURRED = {"aspect": "portrait", "fill": "blurred sides"}
PORTRAIT_BARS = {"aspect": "portrait", "fill": "black bars"}
SQUARE_BARS = {"aspect": "square", "fill": "black bars"}

# (prompt, language, steps): a step is a name, or (name, {parameter: value}).
IN_LANGUAGES = [
    # Spanish
    ("hazlo un poco más cálido", "Spanish", [("warmer", {"strength": 0.25})]),
    ("hazlo un poco mas calido", "Spanish", [("warmer", {"strength": 0.25})]),
    ("más frío y más brillante", "Spanish", ["cooler", ("brightness", {"amount": 0.25})]),
    (
        "mucho más oscuro con más contraste",
        "Spanish",
        [("brightness", {"amount": -0.425}), ("contrast", {"amount": 0.3})],
    ),
    ("menos contraste y menos saturado", "Spanish", [("contrast", {"amount": -0.3}), "saturation"]),
    ("en blanco y negro", "Spanish", ["grayscale"]),
    ("efecto espejo", "Spanish", ["mirror"]),
    ("ponlo boca abajo", "Spanish", ["flip_vertical"]),
    ("gíralo 90 grados a la derecha", "Spanish", [("rotate", {"angle": "90"})]),
    ("cámara lenta", "Spanish", [("speed", {"factor": 0.5})]),
    ("3 veces más rápido", "Spanish", [("speed", {"factor": 3.0})]),
    ("1,5 veces más rápido", "Spanish", [("speed", {"factor": 1.5})]),
    ("al revés y en bucle", "Spanish", ["reverse", "loop"]),
    ("fundido de entrada y fundido a negro al final", "Spanish", ["fade_in", "fade_out"]),
    ("un poco borroso", "Spanish", [("blur", {"strength": 0.25})]),
    ("como una película antigua", "Spanish", OLD_FILM),
    ("formato vertical para TikTok", "Spanish", [("crop", {"aspect": "portrait"})]),
    ("cuadrado con barras", "Spanish", [("crop", {"aspect": "square", "fill": "black bars"})]),
    ("baja el volumen", "Spanish", [("volume", {"db": -6.0})]),
    ("voz más grave", "Spanish", [("pitch", {"semitones": -4.0})]),
    ("con eco", "Spanish", ["echo"]),
    ("colores más cálidos y más oscuros", "Spanish", ["warmer", "brightness"]),
    ("un poco difuminados", "Spanish", [("blur", {"strength": 0.25})]),
    ("súbele el volumen", "Spanish", [("volume", {"db": 6.0})]),
    ("bájale al sonido", "Spanish", [("volume", {"db": -6.0})]),
    ("la música más alta", "Spanish", [("volume", {"db": 6.0})]),
    ("sepia más fuerte", "Spanish", ["sepia"]),  # more sepia, not louder
    ("baja la saturación", "Spanish", [("saturation", {"amount": -0.5})]),
    ("vertical con los bordes difuminados", "Spanish", [("crop", PORTRAIT_BLURRED)]),
    ("cuadrado con barras negras", "Spanish", [("crop", SQUARE_BARS)]),
    # Portuguese
    ("deixa um pouco mais quente", "Portuguese", [("warmer", {"strength": 0.25})]),
    ("em preto e branco", "Portuguese", ["grayscale"]),
    ("sépia bem leve", "Portuguese", [("sepia", {"strength": 0.3})]),
    ("de cabeça para baixo", "Portuguese", ["flip_vertical"]),
    ("câmera lenta", "Portuguese", [("speed", {"factor": 0.5})]),
    ("duas vezes mais rápido", "Portuguese", [("speed", {"factor": 2.0})]),
    ("ao contrário e em loop", "Portuguese", ["reverse", "loop"]),
    ("um pouco desfocado", "Portuguese", [("blur", {"strength": 0.25})]),
    ("como um filme antigo", "Portuguese", OLD_FILM),
    ("formato vertical para o TikTok", "Portuguese", [("crop", {"aspect": "portrait"})]),
    ("mais alto", "Portuguese", [("volume", {"db": 6.0})]),
    ("som abafado", "Portuguese", ["muffled"]),
    ("debaixo d'água", "Portuguese", ["underwater"]),
    ("cores mais quentes", "Portuguese", ["warmer"]),
    ("tons frios e escuros", "Portuguese", ["cooler", "brightness"]),
    ("aumenta o som", "Portuguese", [("volume", {"db": 6.0})]),
    ("abaixa o som", "Portuguese", [("volume", {"db": -6.0})]),
    ("baixa a música", "Portuguese", [("volume", {"db": -6.0})]),
    ("sépia mais forte", "Portuguese", ["sepia"]),
    ("vertical com bordas desfocadas", "Portuguese", [("crop", PORTRAIT_BLURRED)]),
    ("quadrado com barras pretas", "Portuguese", [("crop", SQUARE_BARS)]),
    # French
    ("rends-le un peu plus chaud", "French", [("warmer", {"strength": 0.25})]),
    ("plus froid et plus lumineux", "French", ["cooler", ("brightness", {"amount": 0.25})]),
    ("mets la vidéo en noir et blanc", "French", ["grayscale"]),
    ("sépia très léger", "French", [("sepia", {"strength": 0.3})]),
    ("effet miroir", "French", ["mirror"]),
    ("la tête en bas", "French", ["flip_vertical"]),
    ("au ralenti", "French", [("speed", {"factor": 0.5})]),
    ("deux fois plus vite", "French", [("speed", {"factor": 2.0})]),
    ("en sens inverse et en boucle", "French", ["reverse", "loop"]),
    ("un peu flou", "French", [("blur", {"strength": 0.25})]),
    ("zoom arrière", "French", [("zoom", {"factor": 0.67})]),
    ("carré avec des bandes noires", "French", [("crop", {"aspect": "square"})]),
    ("baisse le son", "French", [("volume", {"db": -6.0})]),
    ("comme au téléphone", "French", ["phone"]),
    ("sous l'eau", "French", ["underwater"]),
    ("des couleurs plus chaudes", "French", ["warmer"]),
    ("un peu floues", "French", [("blur", {"strength": 0.25})]),
    ("couleurs froides et sombres", "French", ["cooler", "brightness"]),
    ("monte la musique", "French", [("volume", {"db": 6.0})]),
    ("le son plus fort", "French", [("volume", {"db": 6.0})]),
    ("le son un peu moins fort", "French", [("volume", {"db": -3.0})]),
    ("sépia plus fort", "French", ["sepia"]),
    ("vertical avec des bords flous", "French", [("crop", PORTRAIT_BLURRED)]),
    ("vertical avec des bandes noires", "French", [("crop", PORTRAIT_BARS)]),
    # German
    ("mach es ein bisschen wärmer", "German", [("warmer", {"strength": 0.25})]),
    ("kühler und heller", "German", ["cooler", ("brightness", {"amount": 0.25})]),
    ("viel dunkler mit mehr Kontrast", "German", [("brightness", {"amount": -0.425}), "contrast"]),
    ("in Schwarz-Weiß", "German", ["grayscale"]),
    ("horizontal spiegeln", "German", ["mirror"]),
    ("spiegel das Video horizontal", "German", ["mirror"]),
    ("spiegle das Bild vertikal", "German", ["flip_vertical"]),
    ("um 90 Grad nach rechts drehen", "German", [("rotate", {"angle": "90"})]),
    ("in Zeitlupe", "German", [("speed", {"factor": 0.5})]),
    ("3 mal schneller", "German", [("speed", {"factor": 3.0})]),
    ("rückwärts abspielen und in einer Schleife", "German", ["reverse", "loop"]),
    ("einblenden und am Ende ausblenden", "German", ["fade_in", "fade_out"]),
    ("wie ein alter Film", "German", OLD_FILM),
    ("im Hochformat für TikTok", "German", [("crop", {"aspect": "portrait"})]),
    ("lauter", "German", [("volume", {"db": 6.0})]),
    ("tiefere Stimme", "German", [("pitch", {"semitones": -4.0})]),
    ("ton ausblenden", "German", ["sound_fade_out"]),
    ("wärmere Farben", "German", ["warmer"]),
    ("ein dunkleres Bild", "German", [("brightness", {"amount": -0.25})]),
    ("kältere und hellere Farben", "German", ["cooler", ("brightness", {"amount": 0.25})]),
    ("mach den Ton leiser", "German", [("volume", {"db": -6.0})]),
    ("dreh die Musik auf", "German", [("volume", {"db": 6.0})]),
    ("Lautstärke runter", "German", [("volume", {"db": -6.0})]),
    ("Hochformat mit unscharfen Rändern", "German", [("crop", PORTRAIT_BLURRED)]),
    ("quadratisch mit schwarzen Balken", "German", [("crop", SQUARE_BARS)]),
    # Italian
    ("rendilo un po' più caldo", "Italian", [("warmer", {"strength": 0.25})]),
    ("in bianco e nero", "Italian", ["grayscale"]),
    ("effetto specchio", "Italian", ["mirror"]),
    ("capovolto", "Italian", ["flip_vertical"]),
    ("ruotalo di 90 gradi a destra", "Italian", [("rotate", {"angle": "90"})]),
    ("al rallentatore", "Italian", [("speed", {"factor": 0.5})]),
    ("3 volte più veloce", "Italian", [("speed", {"factor": 3.0})]),
    ("all'indietro e in loop", "Italian", ["reverse", "loop"]),
    ("un po' sfocato", "Italian", [("blur", {"strength": 0.25})]),
    ("stile vintage", "Italian", VINTAGE),
    ("zoom avanti", "Italian", [("zoom", {"factor": 1.5})]),
    ("quadrato con bande nere", "Italian", [("crop", {"aspect": "square"})]),
    ("alza il volume", "Italian", [("volume", {"db": 6.0})]),
    ("suono ovattato", "Italian", ["muffled"]),
    ("colori più freddi", "Italian", ["cooler"]),
    ("toni caldi e scuri", "Italian", ["warmer", "brightness"]),
    ("alza l'audio", "Italian", [("volume", {"db": 6.0})]),
    ("abbassa la musica", "Italian", [("volume", {"db": -6.0})]),
    ("l'audio più forte", "Italian", [("volume", {"db": 6.0})]),
    ("seppia più forte", "Italian", ["sepia"]),
    ("verticale con i bordi sfocati", "Italian", [("crop", PORTRAIT_BLURRED)]),
    ("verticale con bande nere", "Italian", [("crop", PORTRAIT_BARS)]),
    # Japanese
    ("少し暖かくして", "Japanese", [("warmer", {"strength": 0.25})]),
    ("冷たく明るくして", "Japanese", ["cooler", ("brightness", {"amount": 0.25})]),
    (
        "コントラストを下げて彩度を下げて",
        "Japanese",
        [("contrast", {"amount": -0.3}), "saturation"],
    ),
    ("白黒にして", "Japanese", ["grayscale"]),
    ("セピア調", "Japanese", ["sepia"]),
    ("左右反転", "Japanese", ["mirror"]),
    ("上下反転", "Japanese", ["flip_vertical"]),
    ("90度右に回転", "Japanese", [("rotate", {"angle": "90"})]),
    ("スローモーション", "Japanese", [("speed", {"factor": 0.5})]),
    ("2倍速", "Japanese", [("speed", {"factor": 2.0})]),
    ("逆再生してループ", "Japanese", ["reverse", "loop"]),
    ("フェードインしてフェードアウト", "Japanese", ["fade_in", "fade_out"]),
    ("少しぼかして", "Japanese", [("blur", {"strength": 0.25})]),
    ("古い映画みたいに", "Japanese", OLD_FILM),
    ("TikTok用に縦長", "Japanese", [("crop", {"aspect": "portrait"})]),
    ("音を大きく", "Japanese", [("volume", {"db": 6.0})]),
    ("エコーをかけて", "Japanese", ["echo"]),
    ("ビネットなしの古いフィルム", "Japanese", ["saturation", "warmer", "grain", "flicker"]),
    ("音量を上げて", "Japanese", [("volume", {"db": 6.0})]),
    ("ボリュームを下げて", "Japanese", [("volume", {"db": -6.0})]),
    ("声を高く", "Japanese", [("pitch", {"semitones": 4.0})]),
    ("声を低く", "Japanese", [("pitch", {"semitones": -4.0})]),
    ("こもった音", "Japanese", ["muffled"]),
    ("縦長で背景をぼかして", "Japanese", [("crop", PORTRAIT_BLURRED)]),
    ("正方形で黒帯", "Japanese", [("crop", SQUARE_BARS)]),
]

# (prompt, language, the step, its moment as (start, end) in seconds; None is the end).
MOMENTS = [
    ("los primeros 2 segundos en cámara lenta", "Spanish", "speed", (0.0, 2.0)),
    ("el último segundo en blanco y negro", "Spanish", "grayscale", (-1.0, None)),
    ("del segundo 1 al 3 en cámara lenta", "Spanish", "speed", (1.0, 3.0)),
    ("después de 3 segundos en blanco y negro", "Spanish", "grayscale", (3.0, None)),
    ("os primeiros 2 segundos em câmera lenta", "Portuguese", "speed", (0.0, 2.0)),
    ("de 1 a 3 segundos em câmera lenta", "Portuguese", "speed", (1.0, 3.0)),
    ("até 2 segundos mais rápido", "Portuguese", "speed", (0.0, 2.0)),
    ("les 2 premières secondes au ralenti", "French", "speed", (0.0, 2.0)),
    ("les deux premières secondes au ralenti", "French", "speed", (0.0, 2.0)),
    ("la dernière seconde en noir et blanc", "French", "grayscale", (-1.0, None)),
    ("jusqu'à 2 secondes plus rapide", "French", "speed", (0.0, 2.0)),
    ("die ersten 2 Sekunden in Zeitlupe", "German", "speed", (0.0, 2.0)),
    ("von Sekunde 1 bis 3 in Zeitlupe", "German", "speed", (1.0, 3.0)),
    ("nach 3 Sekunden schwarzweiß", "German", "grayscale", (3.0, None)),
    ("die zweite Hälfte rückwärts", "German", "reverse", (0.5, None)),
    ("i primi 2 secondi al rallentatore", "Italian", "speed", (0.0, 2.0)),
    ("l'ultimo secondo in bianco e nero", "Italian", "grayscale", (-1.0, None)),
    ("da 1 a 3 secondi al rallentatore", "Italian", "speed", (1.0, 3.0)),
    ("最初の2秒をスローモーションに", "Japanese", "speed", (0.0, 2.0)),
    ("最後の1秒を白黒に", "Japanese", "grayscale", (-1.0, None)),
    ("1秒から3秒までスロー", "Japanese", "speed", (1.0, 3.0)),
    ("2秒まで早送り", "Japanese", "speed", (0.0, 2.0)),
    ("3秒後から白黒", "Japanese", "grayscale", (3.0, None)),
    ("後半を逆再生", "Japanese", "reverse", (0.5, None)),
    # From a second on
    ("a partir del segundo 3 en blanco y negro", "Spanish", "grayscale", (3.0, None)),
    ("desde el segundo 3 en blanco y negro", "Spanish", "grayscale", (3.0, None)),
    ("desde el segundo 1 en adelante en cámara lenta", "Spanish", "speed", (1.0, None)),
    ("a partir do segundo 3 em preto e branco", "Portuguese", "grayscale", (3.0, None)),
    ("do segundo 1 em diante em câmera lenta", "Portuguese", "speed", (1.0, None)),
    ("à partir de la 3e seconde en noir et blanc", "French", "grayscale", (3.0, None)),
    ("à partir de 3 secondes en noir et blanc", "French", "grayscale", (3.0, None)),
    ("ab Sekunde 3 schwarzweiß", "German", "grayscale", (3.0, None)),
    ("ab 3 Sekunden schwarzweiß", "German", "grayscale", (3.0, None)),
    ("ab der 3. Sekunde schwarzweiß", "German", "grayscale", (3.0, None)),
    ("dal secondo 3 in bianco e nero", "Italian", "grayscale", (3.0, None)),
    ("a partire dal secondo 3 in bianco e nero", "Italian", "grayscale", (3.0, None)),
    ("dal 3° secondo in poi in bianco e nero", "Italian", "grayscale", (3.0, None)),
    ("3秒から白黒", "Japanese", "grayscale", (3.0, None)),
    ("3秒目から白黒", "Japanese", "grayscale", (3.0, None)),
]

# The middle of a clip, as the moments reader spans it.
MIDDLES = [
    ("el medio en sepia", "Spanish"),
    ("o meio em sépia", "Portuguese"),
    ("le milieu en sépia", "French"),
    ("die Mitte in Sepia", "German"),
    ("la parte centrale in seppia", "Italian"),
    ("真ん中をセピアに", "Japanese"),
]

# (prompt, the caption's text, its place)
CAPTIONS = [
    ('hazlo más cálido con el texto "Hola" arriba', "Hola", "top"),
    ('em preto e branco com a legenda "Oi" no canto', "Oi", "bottom right"),
    ('en noir et blanc avec le titre "Salut" en haut', "Salut", "top"),
    ('schwarzweiß mit dem Text "Hallo" unten', "Hallo", "bottom"),
    ('in bianco e nero con la scritta "Ciao" in alto', "Ciao", "top"),
    ("「Hi」を上に、セピア", "Hi", "top"),
    # The verb that writes it
    ('escribe "Hola" en sepia', "Hola", "bottom"),
    ('escreve a legenda "Oi" em sépia', "Oi", "bottom"),
    ('écris "Salut" en haut en sépia', "Salut", "top"),
    ('schreib "Hallo" oben in Sepia', "Hallo", "top"),
    ('scrivi "Ciao" in basso in seppia', "Ciao", "bottom"),
    ("「Hi」と書いて、セピア", "Hi", "bottom"),
]

# A number of decibels: (prompt, language, the English it is read as). The volume word comes
# first, so the number says how much louder or quieter.
DECIBELS = [
    ("baja el volumen de 10 dB", "Spanish", "quieter by 10 db"),
    ("sube el volumen 10 dB", "Spanish", "louder by 10 db"),
    ("abaixa o volume em 10 dB", "Portuguese", "quieter by 10 db"),
    ("aumenta o volume em 10 decibéis", "Portuguese", "louder by 10 db"),
    ("baisse le son de 10 dB", "French", "quieter by 10 db"),
    ("monte le son de 10 dB", "French", "louder by 10 db"),
    ("Ton um 10 dB leiser", "German", "sound quieter by 10 db"),
    ("Lautstärke um 10 dB erhöhen", "German", "volume louder by 10 db"),
    ("abbassa il volume di 10 dB", "Italian", "quieter by 10 db"),
    ("alza il volume di 10 dB", "Italian", "louder by 10 db"),
    ("音量を10デシベル下げて", "Japanese", "volume quieter by 10 db"),
    ("音量を10デシベル上げて", "Japanese", "volume louder by 10 db"),
]

# Words that look like another form of a table word and are not: (prompt, the word kept).
NOT_INFLECTED = [
    ("hazlo más cálido con calidez", "calidez"),
    ("mais quente com quentura", "quentura"),
    ("plus chaud avec la chaudière", "chaudière"),
    ("wärmer und Dunkelkammer", "dunkelkammer"),
    ("più caldo e le ore", "ore"),
    ("più caldo e freddezza", "freddezza"),
]

MUTED = ["sin sonido", "sem som", "sans son", "ohne Ton", "senza audio", "音を消して"]

# English misspellings: (prompt, [(as written, read as)], steps)
TYPOS = [
    ("brigther", [("brigther", "brighter")], ["brightness"]),
    # Read with the words before them already read, and two misspelt words as one phrase.
    ("blak and wite", [("blak", "black"), ("wite", "white")], ["grayscale"]),
    (
        "vertical with blury backround",
        [("blury", "blurry"), ("backround", "background")],
        [("crop", {"fill": "blurred sides"})],
    ),
    ("blakc and white", [("blakc", "black")], ["grayscale"]),
    ("slow moiton", [("moiton", "motion")], [("speed", {"factor": 0.5})]),
    ("mirorr", [("mirorr", "mirror")], ["mirror"]),
    ("more saturaetd", [("saturaetd", "saturated")], ["saturation"]),
    ("make it sepai", [("sepai", "sepia")], ["sepia"]),
    ("vinage", [("vinage", "vintage")], VINTAGE),
    ("slwo", [("slwo", "slow")], [("speed", {"factor": 0.5})]),
    ("revrese it", [("revrese", "reverse")], ["reverse"]),
    ("a bit wamrer", [("wamrer", "warmer")], [("warmer", {"strength": 0.25})]),
    ("fsater", [("fsater", "faster")], [("speed", {"factor": 2.0})]),
    ("upsdie down", [("upsdie", "upside")], ["flip_vertical"]),
    ("upside donw", [("donw", "down")], ["flip_vertical"]),
    ("begginning black and white", [("begginning", "beginning")], ["grayscale"]),
    ("sepia for the first secnod", [("secnod", "second")], ["sepia"]),
    ("grainy and a vignete", [("vignete", "vignette")], ["grain", "vignette"]),
]

# Misspellings in another language: (prompt, language, (as written, read as), English).
TYPOS_IN_LANGUAGES = [
    ("hazlo más calidoo", "Spanish", ("calidoo", "cálido"), "make it warmer"),
    ("mach es wärmmer", "German", ("wärmmer", "wärmer"), "make it warmer"),
    ("rendilo più frreddo", "Italian", ("frreddo", "freddo"), "make it cooler"),
    ("rends-le plus lumineuxx", "French", ("lumineuxx", "lumineux"), "make it the brighter"),
    ("deixa mais quentte", "Portuguese", ("quentte", "quente"), "make it warmer"),
]

# Words of another language with five letters or fewer are never read as misspelt: too many
# are other real words ("passe" is not "pause"). (prompt, language)
SHORT_NOT_TYPOS_IN_LANGUAGES = [
    ("passe en format carré", "French"),
    ("tout en noir et blanc", "French"),
    ("passa para preto e branco", "Portuguese"),
    ("passa in bianco e nero", "Italian"),
    ("pasa a blanco y negro", "Spanish"),
    ("mach es warmr", "German"),
]

# Real words the reader does not know, never read as a vocabulary word a letter away.
NOT_TYPOS = ["snow", "tilt", "pastel", "those", "world", "sight", "smart", "storm", "share"]

# (prompt, what to try): hints by meaning, never by spelling alone.
HINTS = [
    ("pastel", "muted colours"),
    ("make it tilt", "rotate"),
    ("pan across", "slow push-in"),
    ("gloomy", "darker"),
    ("whisper", "quieter"),
    ("anime", "comic"),
    ("shaky", None),
    ("unicorn", None),
]
