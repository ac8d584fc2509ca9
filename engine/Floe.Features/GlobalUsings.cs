global using Floe.Core.Expressions;
