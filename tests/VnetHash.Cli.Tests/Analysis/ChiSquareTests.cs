using VnetHash.Cli.Analysis;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>The chi-square statistic and its p-value against published critical values.</summary>
public sealed class ChiSquareTests
{
    [Fact]
    public void A_perfect_spread_scores_zero() => Assert.Equal(0, ChiSquare.Statistic([25, 25, 25, 25]));

    [Fact]
    public void The_statistic_sums_squared_deviations_over_the_expectation() =>
        Assert.Equal(((10.0 * 10) + (10.0 * 10)) / 20, ChiSquare.Statistic([30, 10]), 12);

    [Theory]
    [InlineData(3.841, 1, 0.05)] // critical values from the chi-square table
    [InlineData(7.815, 3, 0.05)]
    [InlineData(6.635, 1, 0.01)]
    [InlineData(23.209, 10, 0.01)]
    [InlineData(0.0, 3, 1.0)]
    public void P_values_match_the_table(double statistic, int degreesOfFreedom, double p) =>
        Assert.Equal(p, ChiSquare.PValue(statistic, degreesOfFreedom), 3);
}
