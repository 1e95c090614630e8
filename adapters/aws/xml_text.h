// Reading a few named fields out of the small XML documents the query protocol (STS) answers
// with. Not an XML parser: it finds the first element with a given name (optionally inside a
// given parent element), takes its text and decodes the five predefined entities and numeric
// character references. Enough for STS answers and errors, which have no CDATA, comments or
// attributes that matter. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata::aws {

// The text of the first <name>...</name> (or <ns:name>) in `xml`; nullopt when there is none.
// With `parent`, only inside the first <parent> element. Nested markup inside the element is
// returned as it is.
std::optional<std::string> XmlText(std::string_view xml, std::string_view name,
                                   std::string_view parent = {});

// "&lt;a&gt; &amp; &#65;" -> "<a> & A". Unknown entities stay as they are.
std::string XmlUnescape(std::string_view text);

}  // namespace strata::aws
