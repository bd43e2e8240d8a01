// Store::toDot: a Graphviz ER diagram of the models and associations.
#include "relstore/store.h"
#include "store_impl.h"

namespace relstore {

namespace {

// A DOT string whose escapes (\l, \n, \{ ...) the caller wrote: only
// quotes are escaped here, so Graphviz still reads those as escapes.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

// User text inside a label: shown as written (a backslash stays one, and a
// record's {, }, |, <, > are not structure).
std::string text(const std::string& s, bool record) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || (record && (c == '{' || c == '}' || c == '|' || c == '<' || c == '>'))) out += '\\';
    out += c;
  }
  return out;
}

const char* actionName(Action a) {
  switch (a) {
    case Action::Cascade: return "CASCADE";
    case Action::SetNull: return "SET NULL";
    case Action::SetDefault: return "SET DEFAULT";
    case Action::Restrict: return "RESTRICT";
    case Action::NoAction: return "NO ACTION";
  }
  return "?";
}

}  // namespace

std::string Store::toDot() const {
  const detail::StoreImpl& s = *impl_;
  std::string out = "digraph relstore {\n  node [shape=record];\n";
  for (std::uint32_t i = 0; i < s.modelCount(); ++i) {
    const detail::ModelImpl& m = s.model(i);
    std::string label = "{" + text(m.name(), true) + "|";
    for (std::uint32_t a = 0; a < m.attributes().size(); ++a) {
      const Attribute& attr = m.attribute(a);
      std::string line = attr.name + " : " + std::string(typeName(attr.type));
      if (attr.primaryKey) line += " (pk)";
      if (attr.unique && !attr.primaryKey) line += " (unique)";
      if (!attr.allowNull && !attr.primaryKey) line += " (not null)";
      label += text(line, true) + "\\l";
    }
    out += "  " + quoted(m.name()) + " [label=" + quoted(label + "}") + "];\n";
  }
  for (std::uint32_t i = 0; i < s.associationCount(); ++i) {
    const detail::AssociationDef& d = s.association(i);
    const detail::ForeignKey& fk = s.foreignKey(d.foreignKey);
    const auto action = fk.deleteAction();
    std::string label = std::string(detail::associationTypeName(d.type)) + " as " + text(d.as, false) + "\\nonDelete " +
                        (action ? actionName(*action) : "none (constraints: false)");
    if (d.through) label += "\\nthrough " + text(s.model(*d.through).name(), false);
    out += "  " + quoted(s.model(d.source).name()) + " -> " + quoted(s.model(d.target).name()) +
           " [label=" + quoted(label) + "];\n";
  }
  return out + "}\n";
}

}  // namespace relstore
