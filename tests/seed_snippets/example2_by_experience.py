# Example 2: Analyze by Experience Level: copied unchanged from the seed (data-persistence-usage.md, "Data Analysis Examples").
import json
from collections import defaultdict

with open('backend/interview_data/interviews.json', 'r') as f:
    interviews = json.load(f)

# Group by experience
by_experience = defaultdict(list)
for interview in interviews:
    exp = interview['candidate_experience']
    by_experience[exp].append(interview['average_score'])

# Calculate averages
for exp_years, scores in sorted(by_experience.items()):
    avg = sum(scores) / len(scores)
    print(f"{exp_years} years exp: {avg:.2f} avg score ({len(scores)} candidates)")
