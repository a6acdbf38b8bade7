/// Byte offsets into UTF-8 text to UTF-16 code-unit offsets (what editors and JavaScript count).
/// One pass over the text for any number of positions.
public struct UTF16Offsets: Sendable {
    private let table: [Int: Int]

    /// `positions` are byte offsets into `bytes`; one inside a multi-byte sequence maps to the start
    /// of its character. An invalid byte counts as one U+FFFD (one unit).
    public init(_ bytes: [UInt8], positions: some Sequence<Int>) {
        let wanted = Set(positions).sorted()
        var table: [Int: Int] = [:]
        table.reserveCapacity(wanted.count)
        var next = 0
        var byte = 0, unit = 0
        while next < wanted.count {
            let target = wanted[next]
            if target <= byte || byte >= bytes.count {
                table[target] = unit
                next += 1
                continue
            }
            let lead = bytes[byte]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 1
            let advance = min(length, bytes.count - byte)
            if byte + advance > target {   // target inside this character: its start
                table[target] = unit
                next += 1
                continue
            }
            byte += advance
            unit += length == 4 ? 2 : 1
        }
        self.table = table
    }

    public subscript(_ position: Int) -> Int { table[position] ?? 0 }

    /// UTF-16 length of a whole string's UTF-8 bytes.
    public static func length(_ bytes: ArraySlice<UInt8>) -> Int {
        var units = 0
        for b in bytes where b & 0xC0 != 0x80 { units += b >> 3 == 0b11110 ? 2 : 1 }
        return units
    }
}
