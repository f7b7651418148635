import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a loopback TCP socket: raw request targets (URLSession would normalise `/../`),
/// bounded waits (every read times out), and blocking I/O on its own thread so that it never holds up the
/// concurrency pool the server's handlers run on.
struct HTTPProbe: Sendable {
    let port: Int

    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `GET target` with `Connection: close` and reads the whole answer.
    func get(_ target: String, method: String = "GET") async throws -> Answer {
        let port = port
        return try await onThread {
            let socket = try Self.connect(port: port)
            defer { close(socket.descriptor) }
            try socket.send("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
            return try Self.parse(socket.readToEnd())
        }
    }

    /// Opens the event stream at `target` and keeps it open.
    func events(_ target: String = "/__sopsite/events") async throws -> EventStream {
        let port = port
        return try await onThread {
            let socket = try Self.connect(port: port)
            try socket.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n")
            return EventStream(socket: socket)
        }
    }

    /// An open server-sent-event stream. `text` is what the server sent after the headers, de-chunked.
    final class EventStream: @unchecked Sendable {
        // @unchecked: used by one test, one call at a time.
        private let socket: Socket
        private var raw: [UInt8] = []
        var text: String { HTTPProbe.eventText(raw) }

        fileprivate init(socket: Socket) { self.socket = socket }

        deinit { close(socket.descriptor) }

        /// Reads until `condition` holds for the text received so far (de-chunked), for at most `seconds`.
        @discardableResult
        func read(until condition: @escaping @Sendable (String) -> Bool, seconds: Double = 30) async throws -> String {
            let socket = socket
            let start = raw
            let result = try await onThread { () throws -> [UInt8] in
                var received = start
                let deadline = Date().addingTimeInterval(seconds)
                while !condition(HTTPProbe.eventText(received)) {
                    guard Date() < deadline else { throw Failure(description: "timed out; the stream said:\n\(HTTPProbe.eventText(received))") }
                    guard let chunk = try socket.receive() else { throw Failure(description: "the stream ended; it said:\n\(HTTPProbe.eventText(received))") }
                    received += chunk
                }
                return received
            }
            raw = result
            return HTTPProbe.eventText(result)
        }

        /// True when the server has closed the stream within `seconds`.
        func isClosed(within seconds: Double) async throws -> Bool {
            let socket = socket
            return try await onThread {
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    if try socket.receive() == nil { return true }
                }
                return false
            }
        }
    }

    /// The body of a streamed answer so far: after the headers, complete chunks only.
    fileprivate static func eventText(_ bytes: [UInt8]) -> String {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return "" }
        return String(decoding: dechunk(Array(bytes[(end + 4)...])), as: UTF8.self)
    }

    fileprivate struct Socket: Sendable {
        let descriptor: Int32

        func send(_ text: String) throws {
            let bytes = Array(text.utf8)
            var sent = 0
            while sent < bytes.count {
                let result = bytes[sent...].withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, 0) }
                guard result > 0 else { throw Failure(description: "send failed: errno \(errno)") }
                sent += result
            }
        }

        /// Some bytes; nil at the end of the stream; empty after a one-second read timeout.
        func receive() throws -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return nil }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return [] }
                if errno == ECONNRESET { return nil }
                throw Failure(description: "recv failed: errno \(errno)")
            }
            return Array(buffer[..<count])
        }

        func readToEnd(seconds: Double = 30) throws -> [UInt8] {
            var bytes: [UInt8] = []
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                guard Date() < deadline else { throw Failure(description: "timed out reading an answer") }
                guard let chunk = try receive() else { return bytes }
                bytes += chunk
            }
        }
    }

    private static func connect(port: Int) throws -> Socket {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket failed: errno \(errno)") }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        return Socket(descriptor: descriptor)
    }

    /// Status line, headers (names lower-cased) and body (de-chunked).
    private static func parse(_ bytes: [UInt8]) throws -> Answer {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw Failure(description: "no header end in: \(String(decoding: bytes, as: UTF8.self))")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = head[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Answer(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard index < bytes.count - 1, let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "", radix: 16), size > 0
            else { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }  // an incomplete chunk: wait for the rest
            result += bytes[start..<(start + size)]
            index = start + size + 2
        }
        return result
    }
}

/// Runs blocking work on a thread of its own and resumes with its result.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}
