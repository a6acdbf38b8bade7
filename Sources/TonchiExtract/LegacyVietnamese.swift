/// Vietnamese letters and syllables, as far as telling which reading of a legacy byte string
/// gives Vietnamese words: each letter's base and tone, and whether a word is a possible syllable.
enum VietnameseLetters {
    /// Tone numbers: 0 none, 1 grave (huyền), 2 acute (sắc), 3 hook (hỏi), 4 tilde (ngã), 5 dot (nặng).
    static let rows: [String] = [
        "aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
        "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ",
    ]

    struct Letter {
        /// Lowercase base letter without tone (ă, â, ê, ô, ơ, ư, đ keep their marks).
        let base: Unicode.Scalar
        let tone: Int
        let upper: Bool
    }

    /// Every letter with a Vietnamese mark, both cases, plus đ/Đ.
    private static let table: [UInt32: Letter] = {
        var table: [UInt32: Letter] = [:]
        for row in rows {
            let scalars = Array(row.unicodeScalars)
            for (tone, scalar) in scalars.enumerated() {
                table[scalar.value] = Letter(base: scalars[0], tone: tone, upper: false)
                let upper = Character(scalar).uppercased().unicodeScalars
                if upper.count == 1, let u = upper.first, u != scalar {
                    table[u.value] = Letter(base: scalars[0], tone: tone, upper: true)
                }
            }
        }
        table[0x111] = Letter(base: "đ", tone: 0, upper: false)
        table[0x110] = Letter(base: "đ", tone: 0, upper: true)
        return table
    }()

    /// (lowercase base, tone) → lowercase letter, and the capitals.
    private static let composed: [UInt32: [UInt32]] = {
        var result: [UInt32: [UInt32]] = [:]
        for row in rows {
            let scalars = Array(row.unicodeScalars)
            result[scalars[0].value] = scalars.map(\.value)
        }
        return result
    }()
    private static let composedUpper: [UInt32: [UInt32]] = composed.mapValues { row in
        row.map { lower in
            let up = Character(Unicode.Scalar(lower)!).uppercased().unicodeScalars
            return up.count == 1 ? up.first!.value : lower
        }
    }

    static func letter(_ scalar: UInt32) -> Letter? {
        if scalar < 0x80 {
            let b = UInt8(scalar)
            if b >= 0x61 && b <= 0x7A { return Letter(base: Unicode.Scalar(b), tone: 0, upper: false) }
            if b >= 0x41 && b <= 0x5A { return Letter(base: Unicode.Scalar(b | 0x20), tone: 0, upper: true) }
            return nil
        }
        return table[scalar]
    }

    /// The letter for a base vowel and a tone, in the case asked for; nil if there is none.
    static func compose(base: Unicode.Scalar, tone: Int, upper: Bool) -> UInt32? {
        guard let row = (upper ? composedUpper : composed)[base.value], tone >= 0, tone < row.count else { return nil }
        return row[tone]
    }

    /// Tone of a combining mark (U+0300 grave, U+0301 acute, U+0309 hook, U+0303 tilde, U+0323 dot).
    static func combiningTone(_ scalar: UInt32) -> Int? {
        switch scalar {
        case 0x300, 0x340: return 1
        case 0x301, 0x341: return 2
        case 0x309: return 3
        case 0x303: return 4
        case 0x323: return 5
        default: return nil
        }
    }

    static func isVowel(_ base: Unicode.Scalar) -> Bool { composed[base.value] != nil }
}

/// Whether a word can be one Vietnamese syllable: onset consonant(s), a known vowel cluster, an
/// optional final consonant, at most one tone. Loose on purpose (rare syllables pass), since it
/// only has to tell Vietnamese from the garbage a wrong code page makes.
enum VietnameseSyllable {
    private static let onsets: [[Unicode.Scalar]] = ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
                                                   "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"]
        .map { Array($0.unicodeScalars) }
    private static let codas: [[Unicode.Scalar]] = ["ng", "nh", "ch", "c", "m", "n", "p", "t"].map { Array($0.unicodeScalars) }
    private static let nuclei: Set<String> = [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi",
        "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê",
        "iêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu", "uơi",
    ]
    /// Clusters that never end a syllable ("ăn", never "ă").
    private static let needCoda: Set<String> = ["ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê"]

    /// `scalars` is one word: letters, possibly followed by combining tone marks.
    static func isValid<S: Sequence>(_ scalars: S) -> Bool where S.Element == UInt32 {
        var bases: [Unicode.Scalar] = []
        var tones = 0, tone = 0
        for s in scalars {
            if let mark = VietnameseLetters.combiningTone(s) {
                guard let last = bases.last, VietnameseLetters.isVowel(last) else { return false }
                tones += 1
                tone = mark
                continue
            }
            switch s {   // combining circumflex, breve, horn on the letter before
            case 0x302, 0x306, 0x31B:
                guard let last = bases.popLast() else { return false }
                switch (s, last) {
                case (0x302, "a"): bases.append("â")
                case (0x302, "e"): bases.append("ê")
                case (0x302, "o"): bases.append("ô")
                case (0x306, "a"): bases.append("ă")
                case (0x31B, "o"): bases.append("ơ")
                case (0x31B, "u"): bases.append("ư")
                default: return false
                }
                continue
            default: break
            }
            guard let letter = VietnameseLetters.letter(s) else { return false }
            if letter.tone > 0 { tones += 1; tone = letter.tone }
            bases.append(letter.base)
            if bases.count > 7 { return false }
        }
        guard tones <= 1, !bases.isEmpty else { return false }
        if rhyme(bases[...], tone: tone) { return true }
        for onset in onsets where bases.starts(with: onset) {
            if rhyme(bases[onset.count...], tone: tone) { return true }
        }
        return false
    }

    private static func rhyme(_ letters: ArraySlice<Unicode.Scalar>, tone: Int) -> Bool {
        guard !letters.isEmpty else { return false }
        if nucleus(letters, final: false) { return true }
        for coda in codas where letters.count > coda.count && letters.suffix(coda.count).elementsEqual(coda) {
            let vowels = letters.dropLast(coda.count)
            // After -c, -ch, -p, -t only the acute and dot-below tones occur; -ch and -nh follow
            // a, ê, i, y only.
            let last = coda.last!
            if last == "c" || last == "p" || last == "t" || coda == ["c", "h"] {
                guard tone == 2 || tone == 5 else { continue }
            }
            if last == "h", let v = vowels.last, v != "a" && v != "ê" && v != "i" && v != "y" { continue }
            if nucleus(vowels, final: true) { return true }
        }
        return false
    }

    private static func nucleus(_ letters: ArraySlice<Unicode.Scalar>, final: Bool) -> Bool {
        guard letters.count <= 3 else { return false }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: letters)
        let key = String(s)
        return nuclei.contains(key) && (final || !needCoda.contains(key))
    }
}
