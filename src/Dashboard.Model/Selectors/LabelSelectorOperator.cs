namespace Dashboard.Model.Selectors;

/// <summary>The operators of a label selector requirement (apimachinery <c>selection.Operator</c>).</summary>
public enum LabelSelectorOperator
{
    /// <summary><c>k</c></summary>
    Exists,

    /// <summary><c>!k</c></summary>
    DoesNotExist,

    /// <summary><c>k=v</c></summary>
    Equals,

    /// <summary><c>k==v</c></summary>
    DoubleEquals,

    /// <summary><c>k!=v</c></summary>
    NotEquals,

    /// <summary><c>k in (a,b)</c></summary>
    In,

    /// <summary><c>k notin (a,b)</c></summary>
    NotIn,

    /// <summary><c>k&gt;5</c></summary>
    GreaterThan,

    /// <summary><c>k&lt;5</c></summary>
    LessThan,
}
