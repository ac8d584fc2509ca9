global using NUnit.Framework;
global using Floe.Core.Expressions;
