import Foundation

// Writes a Swift file that carries the given files' bytes (base64, so every byte survives
// exactly and the compiler sees one short literal per file). Usage: EmbedFiles OUTPUT FILE...
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedFiles OUTPUT FILE...\n".utf8))
    exit(2)
}
var source = "// Generated at build time from Schema/ by the EmbedSchema plugin. Do not edit.\n"
source += "let embeddedFiles: [String: String] = [\n"
for path in arguments.dropFirst().sorted() {
    let url = URL(fileURLWithPath: path)
    let contents = try Data(contentsOf: url)
    source += "    \"\(url.lastPathComponent)\": \"\(contents.base64EncodedString())\",\n"
}
source += "]\n"
try source.write(toFile: output, atomically: true, encoding: .utf8)
