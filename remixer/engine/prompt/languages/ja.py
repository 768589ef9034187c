"""Japanese phrasings and the English the reader takes them as. Japanese is written without
spaces, so its phrases are found inside the text, longest first; particles carry nothing
the reader needs and read as nothing. Words that follow what they govern ("1秒から",
"3秒後", "ビネットなし") are marked "<" and moved before it, into English order."""

from remixer.engine.prompt.languages.table import Language, table

UNITS = frozenset(("seconds", "second", "degrees", "x", "%", "times"))


def _is_number(piece: list[str]) -> bool:
    return len(piece) == 1 and piece[0].replace(".", "", 1).isdigit()


def _governed(out: list[list[str]]) -> int | None:
    """Where the last phrase starts: a number with its unit, or one table phrase."""
    if not out:
        return None
    if len(out) > 1 and out[-1][0] in UNITS and _is_number(out[-2]):
        return len(out) - 2
    return len(out) - 1


def reorder(pieces: list[list[str]]) -> list[str]:
    out: list[list[str]] = []
    for piece in pieces:
        at = _governed(out) if piece[0].startswith("<") else None
        if at is not None:
            out.insert(at, [piece[0][1:], *piece[1:]])
        elif not piece[0].startswith("<"):
            out.append(piece)
    return [word for piece in out for word in piece]


LANGUAGE = Language(
    "Japanese",
    table(
        """
        暖かく, 暖かい, 温かく, 温かい, あたたかく, あたたかい, 暖色, 暖かみ, ウォーム = warmer
        冷たく, 冷たい, 涼しく, 涼しげ, 寒色, クール, 寒々しく, 青っぽく = cooler
        明るく, 明るい, 明るめ, 明るさを上げ, 明るさアップ = brighter
        明るさ = brightness
        暗く, 暗い, 暗め, 明るさを下げ, 明るさダウン = darker
        コントラストを上げ, コントラストを強く, コントラスト強め, コントラストを高く = more contrast
        コントラストアップ = more contrast
        ハイコントラスト, コントラスト高め = more contrast
        コントラストを下げ, コントラストを弱く, コントラスト弱め, ローコントラスト = less contrast
        コントラスト = contrast
        鮮やか, 彩度を上げ, 彩度高め, ビビッド, カラフル, 色鮮やか, 彩度アップ = vivid
        彩度を下げ, 彩度低め, くすんだ, 淡い色, 落ち着いた色 = muted
        彩度 = saturation
        白黒, モノクロ, モノクローム, グレースケール = black and white
        セピア, セピア色, セピア調 = sepia
        ネガ, 色反転, 色を反転 = invert
        左右反転, 鏡像, ミラー, 鏡, 左右逆 = mirror
        上下反転, 逆さま, さかさま, 上下逆, 逆さに = upside down
        反転 = flip
        回転 = rotate
        右回り, 時計回り, 右に = clockwise
        左回り, 反時計回り, 左に = counterclockwise
        度 = degrees
        スローモーション, スロー, スローモー = slow motion
        ゆっくり, 遅く, 遅め = slower
        速く, 早く, 早送り, 高速, 速め = faster
        倍速 = x speed
        倍速く, 倍早く = x faster
        半分の速さ, 半分の速度, 半速 = half speed
        速度, 速さ, スピード = speed
        逆再生, 巻き戻し, 逆回し, 逆回転 = reverse
        ループ, 繰り返し, 繰り返す, リピート = loop
        ブーメラン, 行ったり来たり = boomerang
        一時停止, 静止, フリーズ, 止める, 止めて = freeze
        フェードイン = fade in
        フェードアウト = fade out
        暗転, 黒にフェード, 黒へフェード = fade to black
        白にフェード, 白へフェード = fade to white
        ぼかし, ぼかす, ぼかして, ぼやけ, ぼやけた, ブラー, ぼんやり = blur
        シャープ, くっきり, 鮮明 = sharpen
        粒子, ノイズ, ざらざら, フィルムグレイン, グレイン = grain
        ビネット, 周辺を暗く, 四隅を暗く = vignette
        グロー, 輝き, 光らせ = glow
        モザイク, ピクセル化, ピクセル = pixelate
        ビンテージ, ヴィンテージ, レトロ, 懐かしい, 昔風, ノスタルジック = vintage
        古いフィルム, 昔の映画, 古い映画, フィルム風, 古い映像, 8ミリ, 昔のフィルム = old film
        無声映画, サイレント映画 = silent movie
        フィルムノワール = film noir
        映画風, 映画みたい, シネマティック, 映画のよう, 映画っぽく = cinematic
        夢のよう, 幻想的, ドリーミー, 夢みたい = dreamy
        夜景, 夜っぽく, 夜, 夜の = night
        夕焼け, 夕暮れ, ゴールデンアワー, 夕日 = golden hour
        漫画, マンガ, アニメ風, コミック, カートゥーン = comic
        スケッチ, 鉛筆画, デッサン, 鉛筆 = pencil sketch
        ネオン = neon
        サーモグラフィ, サーモ, 赤外線 = thermal
        グリッチ = glitch
        防犯カメラ, 監視カメラ = security camera
        ズームイン, 拡大, アップ, 寄り = zoom in
        ズームアウト, 縮小, 引き = zoom out
        ゆっくりズーム, ゆっくりズームイン = slow zoom
        ズーム = zoom
        縦長, 縦型, 縦向き, 縦画面, 縦 = vertical
        ポートレート = portrait
        ティックトック用, ティックトック, tiktok用, tiktok向け, ティックトック向け = for tiktok
        正方形, スクエア, 真四角 = square
        横長, 横向き, 横型, 横画面, 横 = landscape
        黒帯, 黒い帯, 帯付き, 帯をつけ, 帯を付け = with bars
        両側をぼかし, 背景をぼかし, 背景ぼかし, ぼかした背景, 両端をぼかし = blurred sides
        ミュート, 消音, 音なし, 無音, 音を消, 音声なし, 音を無し, 音を切 = mute
        音を大きく, 音量を上げ, 音量アップ, 大音量, 音を上げ = louder
        音を小さく, 音量を下げ, 音量ダウン, 小さい音, 音を下げ = quieter
        エコー, 反響, こだま = add an echo
        リバーブ, 残響 = reverb
        ピッチを下げ, 低い声, 声を低く, 声を低 = lower the pitch
        ピッチを上げ, 高い声, 声を高く, 声を高 = higher pitch
        こもった, こもった音, くぐもった = muffled
        電話のよう, 電話みたい, 電話の声, 電話越し, 電話 = like a phone call
        水中, 水の中 = underwater
        音をフェードイン, 音声をフェードイン, 音のフェードイン = fade the sound in
        音をフェードアウト, 音声をフェードアウト = fade the sound out
        音のフェードアウト, 音を徐々に小さく = fade the sound out
        音声, 音, サウンド = sound
        音楽, bgm = music
        最初の = the first
        最初に, 冒頭, はじめに, 始めに, 冒頭に = at the start
        最初, はじめ = beginning
        最後の1秒, 最後の一秒 = the last second
        最後の = the last
        最後に, 終わりに, ラストに = at the end
        最後, 終わり, ラスト = end
        真ん中, 中盤, 中間, 途中 = the middle
        前半 = the first half
        後半 = the second half
        から = <from
        まで = <until
        後, 以降, 以後 = <after
        なし, 無し, 抜き, なしで, 無しで, 抜きで = <without
        秒間, 秒 = seconds
        少し, ちょっと, やや, 軽く, 少しだけ, 弱め = a bit
        ほんの少し, ちょっとだけ = a little bit
        とても, すごく, かなり, 非常に, めっちゃ, 強め, 強く = very
        超, 最大 = super
        もっと, より, さらに = more
        二倍 = double
        三倍 = triple
        半分 = half
        倍 = x
        回 = times
        パーセント = percent
        赤 = red
        オレンジ = orange
        黄色 = yellow
        緑 = green
        青 = blue
        紫 = purple
        ピンク = pink
        金色 = gold
        茶色 = brown
        黒 = black
        白 = white
        色味, 色合い, 色調 = tint
        と, そして, および = and
        それから, その後, あと, 次に = then
        でも, けど = but
        動画, ビデオ, 映像, 画面 = video
        風, っぽく, みたいに, のように, ように = like
        ください, 下さい, お願いします, お願い = please
        上に, 上部に = at the top
        下に, 下部に = at the bottom
        隅に, 角に = in the corner
        テロップ, 字幕, タイトル, 文字 = caption
        色 = colour
        にして, して, にする, する, させて, したい, です, ます = -
        を, に, は, が, で, の, も, へ, て = -
        かけて, かける, つけて, つける, 入れて, 入れる, 加えて, 加える, あげて, くれ = -
        """
    ),
    spaced=False,
    reorder=reorder,
)
