//! What autodoc knows about a module: plain data, built by `extract.rs`, read by
//! `render.rs`. Source text (annotations, defaults, bases, decorators) is kept exactly as
//! written, on one line; nothing here refers to Ruff's AST.

use super::docstring::Docstring;
use super::signature::{Signature, TypeParam};

/// Everything documented about one module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleDoc {
    /// Dotted module name (`mypkg.core`; a package's `__init__.py` is `mypkg`).
    pub name: String,
    /// The module docstring.
    pub docstring: Option<Docstring>,
    /// The names of `__all__` when the module declares it with literals.
    pub all: Option<Vec<String>>,
    /// Documented classes, in source order (or `__all__` order).
    pub classes: Vec<ClassDoc>,
    /// Documented functions, in source order (or `__all__` order).
    pub functions: Vec<FunctionDoc>,
    /// Documented module attributes, constants and type aliases.
    pub attributes: Vec<AttributeDoc>,
    /// Names in `__all__` that the module imports rather than defines.
    pub reexports: Vec<ReExport>,
    /// Every name the module imports at its top level (in `if TYPE_CHECKING:` and
    /// `try:` blocks too), first binding of a name kept: what names in the module resolve
    /// through (`from .core import Command` makes `mypkg.Command` `mypkg.core.Command`).
    pub imports: Vec<ReExport>,
}

/// A name bound by an import (for [`ModuleDoc::reexports`], one listed in `__all__`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReExport {
    /// The name this module exports.
    pub name: String,
    /// Where it comes from, dotted (`mypkg.x.Y`; relative imports resolved).
    pub origin: String,
    /// 1-based line of the import.
    pub line: u32,
}

/// A class.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassDoc {
    /// The class name.
    pub name: String,
    /// Dotted path inside the module (`Outer.Inner`).
    pub qualname: String,
    /// 1-based line of `class`.
    pub line: u32,
    /// 1-based line on which the class body ends.
    pub end_line: u32,
    /// Decorators as source text without `@`, except those shown as badges.
    pub decorators: Vec<String>,
    /// What kind of class it is, read from decorators and bases.
    pub kind: ClassKind,
    /// PEP 695 type parameters.
    pub type_params: Vec<TypeParam>,
    /// Base classes as source text.
    pub bases: Vec<String>,
    /// Class keywords as source text (`metaclass=ABCMeta`).
    pub keywords: Vec<String>,
    /// How the class is called: `__init__` (or `__new__`) without `self`, or the fields of a
    /// dataclass or named tuple.
    pub signature: Option<Signature>,
    /// The class docstring; its types are filled from the signature.
    pub docstring: Option<Docstring>,
    /// `Some` when decorated with `@deprecated`: the message, possibly empty.
    pub deprecated: Option<String>,
    /// Decorated with `@final`.
    pub is_final: bool,
    /// Class attributes and fields, in source order.
    pub attributes: Vec<AttributeDoc>,
    /// Properties, in source order.
    pub properties: Vec<PropertyDoc>,
    /// Methods, in source order.
    pub methods: Vec<FunctionDoc>,
    /// Nested classes, in source order.
    pub classes: Vec<ClassDoc>,
}

/// Kind of a [`ClassDoc`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClassKind {
    /// An ordinary class.
    #[default]
    Class,
    /// Decorated with `@dataclass`.
    Dataclass,
    /// A `typing.NamedTuple`.
    NamedTuple,
    /// A `typing.TypedDict`.
    TypedDict,
    /// An `enum.Enum` (or `IntEnum`, `StrEnum`, `Flag`...).
    Enum,
    /// A `typing.Protocol`.
    Protocol,
}

impl ClassKind {
    /// Badge text, `None` for ordinary classes.
    pub fn label(self) -> Option<&'static str> {
        match self {
            ClassKind::Class => None,
            ClassKind::Dataclass => Some("dataclass"),
            ClassKind::NamedTuple => Some("namedtuple"),
            ClassKind::TypedDict => Some("typeddict"),
            ClassKind::Enum => Some("enum"),
            ClassKind::Protocol => Some("protocol"),
        }
    }
}

/// A function or method.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDoc {
    /// The function name.
    pub name: String,
    /// Dotted path inside the module (`Client.fetch`).
    pub qualname: String,
    /// 1-based line of the (first) `def`.
    pub line: u32,
    /// 1-based line on which the implementation (else the last overload) ends.
    pub end_line: u32,
    /// How it is bound.
    pub kind: FunctionKind,
    /// `async def`.
    pub is_async: bool,
    /// Decorated with `@abstractmethod`.
    pub is_abstract: bool,
    /// Decorated with `@final`.
    pub is_final: bool,
    /// `Some` when decorated with `@deprecated`: the message, possibly empty.
    pub deprecated: Option<String>,
    /// Other decorators as source text without `@`.
    pub decorators: Vec<String>,
    /// The implementation's signature (the first overload's when there is no
    /// implementation); methods lose their bound `self`/`cls`.
    pub signature: Signature,
    /// Signatures of the `@overload` variants, in source order.
    pub overloads: Vec<Signature>,
    /// The docstring (the implementation's, else the first overload's).
    pub docstring: Option<Docstring>,
}

/// How a [`FunctionDoc`] is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    /// A module-level function.
    Function,
    /// An instance method.
    Method,
    /// `@classmethod`.
    ClassMethod,
    /// `@staticmethod`.
    StaticMethod,
}

/// A `@property` or `@cached_property`, with its setter and deleter folded in.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyDoc {
    /// The property name.
    pub name: String,
    /// Dotted path inside the module (`Client.url`).
    pub qualname: String,
    /// 1-based line of the getter's `def`.
    pub line: u32,
    /// 1-based line on which the getter ends.
    pub end_line: u32,
    /// The getter's return annotation.
    pub annotation: Option<String>,
    /// `@cached_property` rather than `@property`.
    pub is_cached: bool,
    /// Has a `@x.setter`.
    pub settable: bool,
    /// Has a `@x.deleter`.
    pub deletable: bool,
    /// Decorated with `@abstractmethod`.
    pub is_abstract: bool,
    /// `Some` when decorated with `@deprecated`: the message, possibly empty.
    pub deprecated: Option<String>,
    /// The getter's docstring.
    pub docstring: Option<Docstring>,
}

/// A module attribute, class attribute, field, enum member or type alias.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeDoc {
    /// The attribute name.
    pub name: String,
    /// Dotted path inside the module (`Config.timeout`).
    pub qualname: String,
    /// 1-based line of the assignment.
    pub line: u32,
    /// 1-based line on which the assignment ends.
    pub end_line: u32,
    /// What the attribute is.
    pub kind: AttributeKind,
    /// Annotation as source text.
    pub annotation: Option<String>,
    /// Value as source text, cut to a readable length.
    pub value: Option<String>,
    /// PEP 695 type parameters of a `type X[T] = ...` alias.
    pub type_params: Vec<TypeParam>,
    /// The string literal after the assignment, or its `#:` comments.
    pub docstring: Option<Docstring>,
}

/// Kind of an [`AttributeDoc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeKind {
    /// An annotated or documented variable.
    Variable,
    /// An `UPPER_CASE` module constant.
    Constant,
    /// `type X = ...` or `X: TypeAlias = ...`.
    TypeAlias,
    /// `T = TypeVar("T")` (or `ParamSpec`, `TypeVarTuple`).
    TypeVar,
    /// `UserId = NewType("UserId", int)`.
    NewType,
    /// A field of a dataclass, named tuple or typed dict.
    Field,
    /// A member of an enum.
    EnumMember,
}

impl AttributeKind {
    /// Badge text, `None` for plain variables.
    pub fn label(self) -> Option<&'static str> {
        match self {
            AttributeKind::Variable => None,
            AttributeKind::Constant => Some("constant"),
            AttributeKind::TypeAlias => Some("type alias"),
            AttributeKind::TypeVar => Some("type variable"),
            AttributeKind::NewType => Some("new type"),
            AttributeKind::Field => Some("field"),
            AttributeKind::EnumMember => Some("member"),
        }
    }
}
