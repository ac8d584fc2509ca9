global using Floe.Core.Expressions;
global using Floe.Core.Threading;
