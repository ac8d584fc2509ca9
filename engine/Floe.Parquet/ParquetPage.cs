namespace Floe.Parquet;

/// <summary>
/// One data page of a column chunk, from the Parquet page index: its rows within the row group and what the
/// ColumnIndex proves about them, bounds already in Iceberg's single-value serialisation (null when unknown).
/// </summary>
/// <param name="FirstRow">Row of the row group the page starts at.</param>
/// <param name="RowCount">Rows in the page.</param>
/// <param name="NullCount">Nulls in the page, when recorded.</param>
/// <param name="LowerBound">Serialised lower bound, or null.</param>
/// <param name="UpperBound">Serialised upper bound, or null.</param>
public sealed record ParquetPage(long FirstRow, long RowCount, long? NullCount, byte[]? LowerBound, byte[]? UpperBound);
