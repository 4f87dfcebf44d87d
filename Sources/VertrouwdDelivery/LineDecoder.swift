// Splits a byte stream into lines (LF or CRLF) for the SMTP and socket
// clients. Security stance: lines are bounded, and after STARTTLS has been
// accepted no plain-text byte may remain (it would be read as if it had come
// through TLS: the STARTTLS injection attack).
import NIOCore

/// Shared between the line decoder and the SMTP handler of one connection,
/// on its event loop: set while the TLS handshake after STARTTLS is pending.
final class STARTTLSGuard {
    var tlsPending = false
}

enum LineDecoderError: Error, CustomStringConvertible {
    case lineTooLong
    case dataBeforeTLS

    var description: String {
        switch self {
        case .lineTooLong: "line too long"
        case .dataBeforeTLS: "unexpected data before TLS handshake"
        }
    }
}

/// Decodes lines without their line ending, as Strings (invalid UTF-8 repaired).
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    var maximumLength = 4096
    var tlsGuard: STARTTLSGuard?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if tlsGuard?.tlsPending == true && buffer.readableBytes > 0 {
            throw LineDecoderError.dataBeforeTLS
        }
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximumLength { throw LineDecoderError.lineTooLong }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= maximumLength else { throw LineDecoderError.lineTooLong }
        var bytes = buffer.readBytes(length: length) ?? []
        buffer.moveReaderIndex(forwardBy: 1)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(String(decoding: bytes, as: UTF8.self)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A final line without a line ending is not a complete reply: drop it.
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.clear()
        return .needMoreData
    }
}
