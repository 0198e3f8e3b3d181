namespace VnetHash.Cli.Analysis;

/// <summary>The chi-square test of observed counts against a uniform spread.</summary>
public static class ChiSquare
{
    /// <summary>The statistic: sum over cells of (observed - expected)^2 / expected.</summary>
    public static double Statistic(ReadOnlySpan<long> observed)
    {
        long total = 0;
        foreach (long o in observed)
        {
            total += o;
        }

        if (total == 0 || observed.Length == 0)
        {
            return 0;
        }

        double expected = (double)total / observed.Length;
        double sum = 0;
        foreach (long o in observed)
        {
            double d = o - expected;
            sum += d * d / expected;
        }

        return sum;
    }

    /// <summary>P(X >= statistic) for X chi-square distributed with <paramref name="degreesOfFreedom"/>.</summary>
    public static double PValue(double statistic, int degreesOfFreedom) =>
        degreesOfFreedom <= 0 ? 1 : UpperRegularizedGamma(degreesOfFreedom / 2.0, statistic / 2.0);

    // Q(a, x) by its series below a + 1 and by Lentz's continued fraction above (Numerical Recipes 6.2).
    private static double UpperRegularizedGamma(double a, double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        double logPrefix = (a * Math.Log(x)) - x - LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (int n = 1; n < 1000 && Math.Abs(term) > Math.Abs(sum) * 1e-15; n++)
            {
                term *= x / (a + n);
                sum += term;
            }

            return Math.Clamp(1 - (sum * Math.Exp(logPrefix)), 0, 1);
        }

        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 1000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return Math.Clamp(Math.Exp(logPrefix) * h, 0, 1);
    }

    // Lanczos approximation (g = 7, n = 9).
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < c.Length; i++)
        {
            sum += c[i] / (x + i);
        }

        double t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
