import TonchiCore

public struct NormalizationOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Also remove every diacritic from Latin letters and map đ to d ("Phóng Viên" → "phong vien").
    public static let stripDiacritics = NormalizationOptions(rawValue: 1)
}

/// The view of a text that rules match against: NFC, canonical tone placement, case-folded,
/// whitespace collapsed, zero-width characters removed. `map` leads every position back to the
/// input bytes, so findings quote the original exactly.
public struct NormalizedText: Sendable {
    /// Normalized UTF-8, always valid UTF-8 (invalid input bytes become U+FFFD).
    public let bytes: [UInt8]
    /// Normalized positions → input byte positions.
    public let map: OffsetMap

    public init(normalizing input: UnsafeBufferPointer<UInt8>, options: NormalizationOptions = []) {
        var engine = Engine(input, mode: options.contains(.stripDiacritics) ? .stripped : .document)
        bytes = engine.run()
        map = engine.map
    }

    public init(normalizing input: [UInt8], options: NormalizationOptions = []) {
        self = input.withUnsafeBufferPointer { NormalizedText(normalizing: $0, options: options) }
    }
}
